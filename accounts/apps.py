from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts.groups import ensure_groups

        # After every migrate (permissions exist by then): the role groups match accounts/groups.py.
        post_migrate.connect(ensure_groups, dispatch_uid="accounts.ensure_groups")
        # The shared cache's table (settings: the database cache when REDIS_URL is unset) is not a
        # model: `migrate` creates it too, so a deployment needs no extra step.
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="accounts.create_cache_table")


def create_cache_table(using="default", **kwargs):
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
