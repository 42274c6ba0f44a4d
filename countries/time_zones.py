"""Each country's time zone, for what must happen at a local hour (the daily digest at DIGEST_HOUR).

One zone per country: the capital's, for the countries that span several (Canada, Mexico, the
United States). A country not listed here falls back to settings.TIME_ZONE.
"""

from zoneinfo import ZoneInfo

from django.conf import settings

# The RCM's member and observer states (ISO 3166-1 alpha-2 → IANA zone of the capital).
TIME_ZONES = {
    "AR": "America/Argentina/Buenos_Aires",
    "BZ": "America/Belize",
    "CA": "America/Toronto",
    "CO": "America/Bogota",
    "CR": "America/Costa_Rica",
    "DO": "America/Santo_Domingo",
    "EC": "America/Guayaquil",
    "GT": "America/Guatemala",
    "HN": "America/Tegucigalpa",
    "JM": "America/Jamaica",
    "MX": "America/Mexico_City",
    "NI": "America/Managua",
    "PA": "America/Panama",
    "PE": "America/Lima",
    "SV": "America/El_Salvador",
    "US": "America/New_York",
}


def time_zone_for(country_code: str | None) -> ZoneInfo:
    return ZoneInfo(TIME_ZONES.get((country_code or "").upper(), settings.TIME_ZONE))
