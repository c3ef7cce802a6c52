from django import forms

from .models import School
from .roles import ROLE_CHOICES


def role_choices(extra_roles: dict[str, str] | None) -> list[tuple[str, str]]:
    """SafeSocial's roles, then the trust's own (policy `roles:`)."""
    return [*ROLE_CHOICES, *sorted((extra_roles or {}).items(), key=lambda kv: kv[1])]


class SchoolChoice(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset=queryset, required=False, empty_label="Trust-wide (all schools)", **kwargs)


class StaffForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Full name")
    email = forms.EmailField(label="Work email address", help_text="They sign in with this address.")
    job_title = forms.CharField(max_length=150, required=False, label="Job title")
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role")
    school = SchoolChoice(queryset=School.objects.none(), label="Where they hold the role")

    def __init__(self, *args, schools, extra_roles: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["role"].choices = role_choices(extra_roles)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role")
    school = SchoolChoice(queryset=School.objects.none(), label="Where")

    def __init__(self, *args, schools, extra_roles: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["role"].choices = role_choices(extra_roles)
