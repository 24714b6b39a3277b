import click
token_group = click.Group("token")
