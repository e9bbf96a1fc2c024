import click


@click.command("visit-plan", context_settings={"ignore_unknown_options": True,
                                          "allow_extra_args": True})
def visit_plan():
    """(not implemented yet)"""
    click.echo("cskit: visit-plan is not implemented yet", err=True)
    raise SystemExit(2)
