import click


@click.command("aging-report", context_settings={"ignore_unknown_options": True,
                                          "allow_extra_args": True})
def aging_report():
    """(not implemented yet)"""
    click.echo("cskit: aging-report is not implemented yet", err=True)
    raise SystemExit(2)
