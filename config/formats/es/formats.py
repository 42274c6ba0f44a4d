# The same dates in Spanish: "2 sep 2026" (month in lower case, as Spanish writes it), ISO 8601 in
# dense tables, 24-hour times. Input formats stay Django's (day first).
DATE_FORMAT = "j b Y"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "j b Y, H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j \\d\\e F"
YEAR_MONTH_FORMAT = "F \\d\\e Y"
FIRST_DAY_OF_WEEK = 1
