"""What treatments tells the apps above it, so it never names them (docs/ARCHITECTURE.md,
"Cross-app reactions").

- `session_signing`: sent inside sign-off's transaction, before it commits (kwargs
  `session`, `actor`). A receiver's writes belong to the sign-off: if one raises, nothing
  of the sign-off is stored. Follow-up stores the aftercare sheet and check-ins here.
- `session_signed`: sent after a sign-off commits (`transaction.on_commit`; kwargs
  `session`, `actor`). For reactions that must not undo the sign-off.
- `session_amended`: sent after an amendment commits (kwargs `session`, `amendment`,
  `actor`).
"""

import django.dispatch

session_signing = django.dispatch.Signal()
session_signed = django.dispatch.Signal()
session_amended = django.dispatch.Signal()
