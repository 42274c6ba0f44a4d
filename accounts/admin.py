from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from rest_framework.authtoken.admin import TokenAdmin as DrfTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts.models import Profile
from accounts.roles import PARTNERS_GROUP
from core.admin_tools import EMAIL_TAKEN, INVITE_HELP, PARTNER_TOKEN_HELP, PROFILE_LABEL, SUPERUSER_ONLY
from countries.admin import CountryFocalPointInline

User = get_user_model()


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "preferred_language", "receive_digests"]
    list_filter = ["preferred_language", "receive_digests"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    max_num = 1
    extra = 1
    verbose_name_plural = PROFILE_LABEL
    fields = ["preferred_language", "receive_digests"]


class NewUserForm(forms.ModelForm):
    """A new account created by the secretariat: no password. Its owner sets one through
    "Forgot your password?" on the sign-in page, so nobody else ever knows it."""

    class Meta:
        model = User
        fields = ["username", "email", "first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = INVITE_HELP

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(EMAIL_TAKEN)
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, plus the user's focal-point assignments and preferences.

    The secretariat may view and change users (to assign focal points), but only a superuser changes
    passwords, superuser status or individual permissions, or touches a superuser's account.
    """

    inlines = [CountryFocalPointInline, ProfileInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups", "focal_points__country"]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def get_fieldsets(self, request, obj=None):
        if obj is None and not request.user.is_superuser:
            return [(None, {"fields": ["username", "email", "first_name", "last_name"]})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = NewUserForm
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "password" in form.base_fields:
            form.base_fields["password"].help_text = SUPERUSER_ONLY
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if add and not request.user.is_superuser:
            # Django's add-user page talks about passwords; the secretariat's form has none.
            response.template_name = [
                f"admin/{self.opts.app_label}/{self.opts.model_name}/change_form.html",
                "admin/change_form.html",
            ]
        return response

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(DrfTokenAdmin):
    """API tokens: issue (add) and revoke (delete) partners' tokens."""

    list_display = ["user", "user_email", "created"]
    list_select_related = ["user"]
    autocomplete_fields = []

    @admin.display(description=User._meta.get_field("email").verbose_name, ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(groups__name=PARTNERS_GROUP, is_active=True).order_by("username")
            kwargs["help_text"] = PARTNER_TOKEN_HELP
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
