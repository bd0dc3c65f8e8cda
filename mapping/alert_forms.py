from django import forms
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    KIND_CHOICES = [("area", _("A local government")), ("near", _("Around a point"))]
    kind = forms.ChoiceField(label=_("Alert me about new reports in"), choices=KIND_CHOICES, initial="area", widget=forms.RadioSelect)
    local_government = forms.CharField(
        label=_("Local government"), required=False, max_length=120,
        help_text=_("Type its name (e.g. 종로구) and pick it from the list, or tap the map."),
        widget=forms.TextInput(attrs={"list": "government-options", "autocomplete": "off"}),
    )
    # Filled by tapping the map: nobody types coordinates.
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    radius = forms.IntegerField(label=_("Radius (m)"), required=False, initial=500)
    email = forms.EmailField(label=_("Email"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that Dongne keeps my email address to send these alerts until I unsubscribe."), required=False
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    email = forms.EmailField(label=_("Email (never shown)"), required=False)
    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    show_name = forms.BooleanField(label=_("Show my name publicly"), required=False)
