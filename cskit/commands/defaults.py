import click

KINDS = ("credit", "kpi", "visit", "aging")  # cskit.policy.KINDS; a test keeps them equal


@click.command("defaults")
@click.argument("kind", type=click.Choice(KINDS))
def defaults(kind):
    """Print the built-in policy of KIND as a commented TOML file.

    Copy it, change what your company does differently, delete the rest,
    and pass it with --policy: a partial file overrides only the keys it sets.

    \b
    Examples:
      cskit defaults credit > credit.toml
      cskit score-credit customers.csv --policy credit.toml
    """
    from cskit.policy import defaults_text

    click.echo(defaults_text(kind), nl=False)
