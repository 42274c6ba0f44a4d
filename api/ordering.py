"""`?ordering=`: the declared fields only, `id` always last."""

from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=-due_date,code` over the view's `ordering_fields`; an unknown field is a 400; `id`
    is always the last key so pages never overlap."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            valid = self.remove_invalid_fields(queryset, fields, view, request)
            if len(valid) != len(fields):
                allowed = ", ".join(
                    name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
                )
                raise exceptions.ValidationError(
                    {self.ordering_param: [_("Unknown ordering field. Allowed: %(fields)s.") % {"fields": allowed}]}
                )
            return valid
        return self.get_default_ordering(view)

    def get_schema_operation_parameters(self, view):
        fields = ", ".join(f"`{name}`" for name in getattr(view, "ordering_fields", []))
        default = ",".join(getattr(view, "ordering", []))
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": force_str(
                    _("Comma-separated fields to sort by, `-` for descending: %(fields)s. Default: `%(default)s`.")
                    % {"fields": fields, "default": default}
                ),
                # Exactly what get_ordering accepts: declared fields, `-` for descending, comma-separated.
                "schema": {
                    "type": "array",
                    "items": {
                        "type": "string",
                        "enum": [
                            f"{sign}{name}" for name in getattr(view, "ordering_fields", []) for sign in ("", "-")
                        ],
                    },
                },
                "style": "form",
                "explode": False,
            }
        ]

    def filter_queryset(self, request, queryset, view):
        ordering = list(self.get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            ordering.append("id")
        return queryset.order_by(*ordering)
