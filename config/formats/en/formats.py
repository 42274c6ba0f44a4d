# Dates nobody can misread in a region that reads day-first: "2 Sep 2026" in text, ISO 8601
# ("2026-09-02") in dense tables (SHORT_DATE_FORMAT); Django's default "09/02/2026" reads as 9 February.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
