//! Calendar dates for "last verified" checks: today's date (from
//! `SOURCE_DATE_EPOCH` when set, for reproducible builds and tests) and
//! month arithmetic.

use std::time::{SystemTime, UNIX_EPOCH};

/// A day: year, month (1–12), day (1–31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of month, 1–31.
    pub day: u8,
}

impl Day {
    /// Today in UTC, or the day of `SOURCE_DATE_EPOCH` when it is set.
    pub fn today() -> Day {
        let secs = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            });
        Day::from_days(secs.div_euclid(86_400))
    }

    /// The same day `months` months earlier (clamped to the month's end).
    pub fn months_before(self, months: u32) -> Day {
        let total = self.year * 12 + i32::from(self.month) - 1 - months as i32;
        let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
        let day = self.day.min(days_in_month(year, month));
        Day { year, month, day }
    }

    /// `2026-11-25`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The day `days` days after 1970-01-01.
    fn from_days(days: i64) -> Day {
        // Howard Hinnant's civil-from-days algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }
}

impl From<&toml::value::Date> for Day {
    fn from(d: &toml::value::Date) -> Day {
        Day {
            year: i32::from(d.year),
            month: d.month,
            day: d.day,
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_months_add_up() {
        assert_eq!(Day::from_days(0).iso(), "1970-01-01");
        assert_eq!(Day::from_days(20_782).iso(), "2026-11-25");
        let d = Day {
            year: 2026,
            month: 8,
            day: 31,
        };
        assert_eq!(d.months_before(6).iso(), "2026-02-28");
        assert_eq!(d.months_before(8).iso(), "2025-12-31");
        assert_eq!(
            Day {
                year: 2024,
                month: 3,
                day: 30
            }
            .months_before(1)
            .iso(),
            "2024-02-29"
        );
    }
}
