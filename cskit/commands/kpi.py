import click


@click.command("rollup-kpi", context_settings={"ignore_unknown_options": True,
                                          "allow_extra_args": True})
def rollup_kpi():
    """(not implemented yet)"""
    click.echo("cskit: rollup-kpi is not implemented yet", err=True)
    raise SystemExit(2)
