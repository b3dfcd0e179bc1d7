"""How long a clinic keeps a clinical record after the last care, and the law behind it.

The default is 20 years from the patient's last clinical record, the period Turkish
health-record practice commonly applies (Kişisel Sağlık Verileri Hakkında Yönetmelik,
Resmî Gazete 21.06.2019, with the Ministry of Health's record-keeping rules). GDPR
Art. 17(3)(b) and (c), and KVKK (Law 6698) Art. 7 with Art. 28, let a controller keep
what a legal obligation or public health requires in spite of a request to erase; the
rest goes. Each clinic sets its own period and reason (its lawyer's reading of its own
jurisdiction): this is a default, not legal advice.
"""

import datetime as dt

from django.utils.translation import gettext as _

from .models import DEFAULT_YEARS, RetentionPolicy

SOURCES = [
    "Regulation (EU) 2016/679 (GDPR), Art. 17(3)(b) and (c); Art. 9(2)(h)",
    "Law No. 6698 on the Protection of Personal Data (KVKK), Art. 7 and Art. 28",
    "Kişisel Sağlık Verileri Hakkında Yönetmelik, Resmî Gazete 21.06.2019",
]


def default_reason(years: int = DEFAULT_YEARS) -> str:
    return _(
        "Health records are kept for %(years)s years after the last care, as the law on "
        "health records requires; a request to erase does not override that obligation "
        "(GDPR Art. 17(3)(b) and (c), KVKK Art. 7 and 28)."
    ) % {"years": years}


def policy_of(clinic) -> tuple[int, str]:
    """(years, reason) for the clinic: its own policy or the default."""
    policy = RetentionPolicy.objects.filter(clinic=clinic).first()
    if policy is None:
        return DEFAULT_YEARS, default_reason()
    return policy.years, policy.reason or default_reason(policy.years)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
