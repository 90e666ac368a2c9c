## Why core-records refuses a field (the field's name comes before).

check-required = is required
check-too-long = must not exceed { $max } characters
check-email = is not a valid email address
check-nul = must not contain the nul character (U+0000)
check-control = must not contain a control character
check-direction = must not contain a character that reverses the reading direction (U+202A–U+202E, U+2066–U+2069)
check-or = { $first } or { $last }
check-one-of = must be { $values }
check-after-start = must be after the start date
check-date-required = is required (YYYY-MM-DD)
check-currency = must be an ISO 4217 code, for example EUR
check-partner-required = give at least one partner organisation
