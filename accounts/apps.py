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
