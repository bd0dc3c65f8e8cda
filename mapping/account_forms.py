from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.grants import Purpose
from clients.models import ApiClient
from geodata.models import Area
from geodata.selectors import place_search


class SignupForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), help_text=_("For password resets and news about your reports. Never shown."))
    # Residence (polls, issue 16): optional here, and changeable later at /polls/residence/.
    residence = forms.CharField(
        label=_("Your 읍면동 (optional)"), required=False, max_length=100,
        help_text=_("Where you live decides which polls you may vote in. Never shown. You can set it later, also on a map."),
    )
    consent = forms.BooleanField(
        label=_("I agree to the collection and use of my personal information as described above."),
        error_messages={"required": _("You must agree to the privacy notice to create an account.")},
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account already uses this email address."))
        return email

    def clean_residence(self) -> Area | None:
        query = self.cleaned_data["residence"].strip()
        if not query:
            return None
        places = [p for p in place_search(query=query, limit=20) if p["kind"] == "submunicipal"]
        exact = [p for p in places if p["name"] == query] or places
        if len(exact) == 1:
            return Area.objects.current().get(code=exact[0]["code"])
        if not exact:
            raise forms.ValidationError(_("No 읍면동 is called so: check the name, or leave it empty and set it later."))
        raise forms.ValidationError(
            _("Several 읍면동 are called so (%(places)s): leave it empty and pick yours after signing up.")
            % {"places": ", ".join(f"{p['context']} {p['name']}" for p in exact[:5])}
        )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class ResidentGrantForm(forms.Form):
    """Which app may act for the person, for what; they must agree (accounts.grants)."""

    client = forms.ModelChoiceField(
        label=_("App"), queryset=None, empty_label=None,
        error_messages={"invalid_choice": _("Choose an active app."), "required": _("Choose an active app.")},
    )
    purposes = forms.MultipleChoiceField(
        label=_("It may"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose what the app may do for you.")},
    )
    agree = forms.BooleanField(
        label=_("I agree that this app acts for me, as me, for what I chose, until the grant expires or I change my password."),
        error_messages={"required": _("You must agree before the app can act for you.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = ApiClient.objects.filter(is_active=True).order_by("name")
        self.fields["purposes"].choices = Purpose.choices
