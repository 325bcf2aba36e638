"""Forms of the warehouse page: receipts, issues, adjustments, write-offs, minimums, count imports, forecasts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class _ItemForm(forms.Form):
    item = forms.TypedChoiceField(label=pgettext_lazy("stock item", "Item"), coerce=int)

    def __init__(self, *args: object, items: list[tuple[int, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["item"].choices = list(items)


class ReceiveForm(_ItemForm):
    quantity = forms.IntegerField(label=_("Units"), min_value=1, max_value=10**9)
    lot = forms.CharField(label=_("Lot"), max_length=60, required=False)
    expires_on = forms.DateField(label=_("Expiry date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Document (waybill, donation)"), max_length=60, required=False)


class IssueForm(_ItemForm):
    quantity = forms.IntegerField(label=_("Units"), min_value=1, max_value=10**9)
    note = forms.CharField(label=_("Issued to"), max_length=300, required=False)


class AdjustForm(_ItemForm):
    delta = forms.IntegerField(label=_("Change in units (+ found, − lost or damaged)"), min_value=-10**9,
                               max_value=10**9)
    lot = forms.CharField(label=_("Lot"), max_length=60, required=False)
    note = forms.CharField(label=_("Reason"), max_length=300)


class WriteOffForm(_ItemForm):
    lot = forms.CharField(label=_("Expired lot"), max_length=60)


class MinimumForm(_ItemForm):
    min_units = forms.IntegerField(label=_("Minimum stock (0 removes it)"), min_value=0, max_value=10**9)


class KitAssemblyForm(forms.Form):
    kit_version = forms.TypedChoiceField(label=_("Kit (current composition)"), coerce=int)
    count = forms.IntegerField(label=_("Kits to assemble"), min_value=1, max_value=100_000)
    lot = forms.CharField(label=_("Kit lot (empty: numbered from the version, day and expiry)"), max_length=60,
                          required=False)

    def __init__(self, *args: object, kits: list[tuple[int, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kit_version"].choices = list(kits)


class CountImportForm(forms.Form):
    file = forms.FileField(label=_("Stock counts (CSV: warehouse,item,lot,expires_on,counted)"))


class CensusForm(forms.Form):
    warehouse = forms.TypedChoiceField(label=_("Warehouse"), coerce=int)
    item = forms.TypedChoiceField(label=pgettext_lazy("stock item", "Item"), coerce=int)
    patients = forms.IntegerField(label=_("Patients in care per day"), min_value=0, max_value=1_000_000)
    growth = forms.FloatField(label=_("Daily growth of the census, %"), min_value=-50, max_value=100, initial=0)
    days = forms.IntegerField(label=_("Days ahead"), min_value=1, max_value=180, initial=30)

    def __init__(self, *args: object, warehouses: list[tuple[int, str]] = (),  # type: ignore[assignment]
                 items: list[tuple[int, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["warehouse"].choices = list(warehouses)
        self.fields["item"].choices = list(items)

    def census(self) -> list[float]:
        """Patients per day over the horizon, growing (or shrinking) by a constant daily rate."""
        d = self.cleaned_data
        rate = 1 + d["growth"] / 100
        return [d["patients"] * rate ** day for day in range(d["days"])]
