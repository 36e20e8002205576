//! Checks the ways to reach a service besides its phones (SMS, WhatsApp,
//! Telegram, Signal, e-mail, web chat) and web addresses, and makes the
//! links readers tap.

use super::Channel;
use super::check::Place;
use super::fields::ChannelFields;
use super::phone;
use crate::diagnostics::Diagnostic;
use toml::Spanned;

/// The channels of a `[service.channels]` table, with a link each.
pub(super) fn check(
    c: &ChannelFields,
    place: &Place,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Channel> {
    let mut out = Vec::new();
    let number =
        |v: &Spanned<String>, errors: &mut Vec<Diagnostic>| match phone::international(v.get_ref())
        {
            Ok(p) => Some(p),
            Err(why) => {
                errors.push(place.at(
                    v.span(),
                    format!(
                        "`{}` is not a phone number in international form: {why}",
                        v.get_ref()
                    ),
                    "write + and the country code, then the number, e.g. \"+996 555 000 000\"",
                ));
                None
            }
        };
    let mut push = |kind, display: String, href: String| {
        out.push(Channel {
            kind,
            display,
            href,
            ltr: true,
        })
    };
    if let Some(v) = &c.sms
        && let Some(p) = number(v, errors)
    {
        push("sms", p.display, format!("sms:{}", p.dial));
    }
    if let Some(v) = &c.whatsapp
        && let Some(p) = number(v, errors)
    {
        push(
            "whatsapp",
            p.display,
            format!("https://wa.me/{}", &p.dial[1..]),
        );
    }
    if let Some(v) = &c.telegram {
        let name = v.get_ref().trim();
        let name = name
            .strip_prefix("https://t.me/")
            .or_else(|| name.strip_prefix('@'))
            .unwrap_or(name);
        if (5..=32).contains(&name.len())
            && name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        {
            push(
                "telegram",
                format!("@{name}"),
                format!("https://t.me/{name}"),
            );
        } else {
            errors.push(place.at(
                v.span(),
                format!("`{}` is not a Telegram user name", v.get_ref()),
                "write the name as @name (5 to 32 letters, digits or _), or the https://t.me/name link",
            ));
        }
    }
    if let Some(v) = &c.signal
        && let Some(p) = number(v, errors)
    {
        push(
            "signal",
            p.display,
            format!("https://signal.me/#p/{}", p.dial),
        );
    }
    if let Some(v) = &c.email {
        let mail = v.get_ref().trim();
        let ok = mail.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        }) && !mail.contains(|ch: char| ch.is_whitespace() || "<>\"',;:".contains(ch))
            && mail.matches('@').count() == 1;
        if ok {
            push("email", mail.to_string(), format!("mailto:{mail}"));
        } else {
            errors.push(place.at(
                v.span(),
                format!("`{mail}` is not an e-mail address"),
                "write it as name@example.org",
            ));
        }
    }
    if let Some(v) = &c.webchat
        && let Some(url) = web_address(v, place, errors)
    {
        push("webchat", url.clone(), url);
    }
    out
}

/// A `https://` (or `http://`) address, or an error at its value.
pub(super) fn web_address(
    v: &Spanned<String>,
    place: &Place,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let url = v.get_ref().trim();
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    if host.is_some_and(|h| h.contains('.') && !h.starts_with(['.', '/']))
        && !url.contains(char::is_whitespace)
    {
        return Some(url.to_string());
    }
    errors.push(place.at(
        v.span(),
        format!("`{url}` is not a web address"),
        "write the whole address, starting with https://",
    ));
    None
}
