# Fixtures the acceptance tests and the stage recorder need on a local real
# authentik of ../shared/realauthentik, run inside it with
# `setup.sh shell < scripts/lib/realauthentik-fixtures.py`.
#
# WebAuthn device types: every MDS import has these (YubiKey 5 Series, with
# NFC, Google Titan). The 2025.12.4 kit's source snapshot lacks the MDS blob,
# so its import task fails and the table stays empty (observations §5.1);
# this creates the ones the tests use as the 2024.10.5 server's import has
# them. Where they exist already nothing changes. Prints
# "FIXTURE <aaguids created>" or "FIXTURE none".
from authentik.stages.authenticator_webauthn.models import WebAuthnDeviceType

types = {
    "00000000-0000-0000-0000-000000000000": "authentik: Unknown devices",
    "cb69481e-8ff7-4039-93ec-0a2729a154a8": "YubiKey 5 Series",
    "fa2b99dc-9e39-4257-8f92-4a30d23c4118": "YubiKey 5 Series with NFC",
    "2fc0579f-8113-47ea-b116-bb5a8db9202a": "YubiKey 5 Series with NFC",
    "a25342c0-3cdc-4414-8e46-f4807fca511c": "YubiKey 5 Series with NFC",
    "42b4fb4a-2866-43b2-9bf7-6c6669c2e5d3": "Google Titan Security Key v2",
}
made = [a for a, d in types.items() if WebAuthnDeviceType.objects.get_or_create(aaguid=a, defaults={"description": d})[1]]
print("FIXTURE " + (",".join(made) or "none"))
