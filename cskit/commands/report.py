import click


@click.command("render-report", context_settings={"ignore_unknown_options": True,
                                          "allow_extra_args": True})
def render_report():
    """(not implemented yet)"""
    click.echo("cskit: render-report is not implemented yet", err=True)
    raise SystemExit(2)
