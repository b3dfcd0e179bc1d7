"""What consent tells the apps above it, so it never names them (docs/ARCHITECTURE.md).

- `consent_signed`: sent inside the signing's transaction, once the consent is stored
  (kwargs `consent`, `actor`). Documents queues the patient's PDF copy (sent after commit).
"""

import django.dispatch

consent_signed = django.dispatch.Signal()
