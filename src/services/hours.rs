//! Opening hours written as text: `"mon-fri 09:00-18:00; sat 10:00-14:00"`,
//! several times a day with commas (`"mon-fri 09:00-12:00, 13:00-17:00"`),
//! `daily` for every day, and `"24/7"` for day and night. A range that
//! closes before it opens runs past midnight.

/// English day codes, Monday first.
pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Checked opening hours.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hours {
    /// Open day and night, every day.
    pub always: bool,
    /// Days and the times they are open, in the order written.
    pub groups: Vec<Group>,
}

/// Some days with the same times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Days, 0 = Monday.
    pub days: Vec<usize>,
    /// Opening and closing times in minutes after midnight.
    pub times: Vec<(u16, u16)>,
}

/// Parses opening hours; on error, says what is wrong in words.
pub fn parse(text: &str) -> Result<Hours, String> {
    let text = text.trim().replace(['–', '—'], "-");
    if ["24/7", "24-7", "24x7"].contains(&text.to_lowercase().as_str()) {
        return Ok(Hours {
            always: true,
            groups: Vec::new(),
        });
    }
    let groups = text
        .split([';', '\n'])
        .filter(|g| !g.trim().is_empty())
        .map(group)
        .collect::<Result<Vec<_>, _>>()?;
    if groups.is_empty() {
        return Err("no days and times are given".into());
    }
    Ok(Hours {
        always: false,
        groups,
    })
}

fn group(text: &str) -> Result<Group, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| c.is_ascii_digit())
        .ok_or_else(|| format!("`{text}` has no times"))?;
    let (days_text, times_text) = text.split_at(split);
    let days = days(days_text.trim())?;
    let times = times_text
        .split(',')
        .map(|t| range(t.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Group { days, times })
}

fn days(text: &str) -> Result<Vec<usize>, String> {
    let text = text.to_lowercase().replace(' ', "");
    if text.is_empty() {
        return Err("the days are missing before the times, e.g. `mon-fri 09:00-18:00`".into());
    }
    if text == "daily" {
        return Ok((0..7).collect());
    }
    let mut days = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                let mut d = a;
                loop {
                    days.push(d);
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => days.push(day(part)?),
        }
    }
    Ok(days)
}

fn day(text: &str) -> Result<usize, String> {
    let short = text.get(..3).unwrap_or(text);
    DAYS.iter()
        .position(|d| {
            *d == short && "mondaytuesdaywednesdaythursdayfridaysaturdaysunday".contains(text)
        })
        .ok_or_else(|| {
            format!("`{text}` is not a day; use mon, tue, wed, thu, fri, sat, sun or daily")
        })
}

fn range(text: &str) -> Result<(u16, u16), String> {
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| format!("`{text}` is not a time range; write it as 09:00-18:00"))?;
    let (opens, closes) = (time(a.trim())?, time(b.trim())?);
    if opens == closes {
        return Err(format!(
            "`{text}` opens and closes at the same time; for day and night use \"24/7\""
        ));
    }
    if opens == 24 * 60 {
        return Err(format!("`{text}` opens at 24:00; write 00:00"));
    }
    Ok((opens, closes))
}

fn time(text: &str) -> Result<u16, String> {
    let bad = || format!("`{text}` is not a time; write hours and minutes, e.g. 09:00 or 18:30");
    let (h, m) = text.split_once([':', '.']).ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 24 || m > 59 || (h == 24 && m > 0) {
        return Err(format!("`{text}` is not a time of day"));
    }
    Ok(h * 60 + m)
}

/// `09:00` from minutes after midnight.
pub fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_ranges_and_several_times() {
        let h = parse("Mon–Fri 09:00-12:00, 13:00-17:30; sat 10:00-14:00").unwrap();
        assert!(!h.always);
        assert_eq!(h.groups[0].days, vec![0, 1, 2, 3, 4]);
        assert_eq!(h.groups[0].times, vec![(540, 720), (780, 1050)]);
        assert_eq!(h.groups[1].days, vec![5]);
        assert!(parse("24/7").unwrap().always);
        assert_eq!(parse("daily 20:00-08:00").unwrap().groups[0].days.len(), 7);
        assert_eq!(
            parse("fri-mon 9:00-24:00").unwrap().groups[0].days,
            vec![4, 5, 6, 0]
        );
        assert_eq!(
            parse("monday,wednesday 09:00-10:00").unwrap().groups[0].days,
            vec![0, 2]
        );
        assert_eq!(clock(545), "09:05");
    }

    #[test]
    fn impossible_hours_are_refused_in_words() {
        for (bad, why) in [
            ("mon-fri 25:00-18:00", "not a time of day"),
            ("mon-fri 09:60-18:00", "not a time of day"),
            ("mon-fri 09:00-09:00", "same time"),
            ("mon-fro 09:00-18:00", "not a day"),
            ("09:00-18:00", "days are missing"),
            ("mon-fri", "no times"),
            ("mon 9-18", "not a time"),
            ("mon 09:00", "not a time range"),
            ("", "no days"),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}
