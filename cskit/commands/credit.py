import click


@click.command("score-credit", context_settings={"ignore_unknown_options": True,
                                          "allow_extra_args": True})
def score_credit():
    """(not implemented yet)"""
    click.echo("cskit: score-credit is not implemented yet", err=True)
    raise SystemExit(2)
