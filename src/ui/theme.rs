//! Themes: files under `themes/` (built in) or any TOML file of the same format. A bad theme is an
//! error naming the file, line and what was expected, never a silent fallback.

use crate::location::line_col;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::path::Path;

const BUILT_IN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("ansi16", include_str!("../../themes/ansi16.toml")),
    ("mono", include_str!("../../themes/mono.toml")),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub text: Color,
    pub muted: Color,
    pub accent: Color,
    pub title_fg: Color,
    pub title_bg: Color,
    pub tab_active_fg: Color,
    pub tab_active_bg: Color,
    pub selection_fg: Color,
    pub selection_bg: Color,
    pub header_fg: Color,
    pub demo_fg: Color,
    pub demo_bg: Color,
    pub critical: Color,
    pub high: Color,
    pub medium: Color,
    pub low: Color,
    pub informational: Color,
    pub good: Color,
    pub warning: Color,
    pub bad: Color,
    pub error: Color,
    pub border: Color,
    /// Mono themes mark the selection with reverse video instead of colour.
    pub reverse_selection: bool,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ThemeError {
    #[error("{origin}:{line}:{column}: {message}")]
    Invalid { origin: String, line: usize, column: usize, message: String },
    #[error("{origin}: {message}")]
    Unreadable { origin: String, message: String },
    #[error("unknown theme '{name}': use one of {known} or a path to a .toml file")]
    Unknown { name: String, known: String },
}

type Spanned = toml::Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    #[serde(default)]
    colors: ColorsFile,
}

macro_rules! theme_roles {
    ($($role:ident),* $(,)?) => {
        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct ColorsFile {
            $($role: Option<Spanned>,)*
        }

        fn apply_colors(theme: &mut Theme, colors: ColorsFile, text: &str, origin: &str) -> Result<(), ThemeError> {
            $(
                if let Some(value) = colors.$role {
                    theme.$role = parse_color(value.get_ref()).ok_or_else(|| {
                        let (line, column) = line_col(text, value.span().start);
                        ThemeError::Invalid {
                            origin: origin.to_string(),
                            line,
                            column,
                            message: format!(
                                "colors.{}: expected a colour name (red, lightblue, reset, ...), an index 0-255 or #rrggbb, found {:?}",
                                stringify!($role), value.get_ref()
                            ),
                        }
                    })?;
                }
            )*
            Ok(())
        }
    };
}

theme_roles!(
    text,
    muted,
    accent,
    title_fg,
    title_bg,
    tab_active_fg,
    tab_active_bg,
    selection_fg,
    selection_bg,
    header_fg,
    demo_fg,
    demo_bg,
    critical,
    high,
    medium,
    low,
    informational,
    good,
    warning,
    bad,
    error,
    border,
);

impl Default for Theme {
    fn default() -> Self {
        let fallback = Self::base();
        BUILT_IN
            .first()
            .and_then(|(_, text)| Self::parse_over(fallback.clone(), text, "themes/default.toml").ok())
            .unwrap_or(fallback)
    }
}

impl Theme {
    /// Plain ANSI colours, the base every theme file is applied over.
    fn base() -> Self {
        Self {
            name: "base".into(),
            text: Color::Reset,
            muted: Color::DarkGray,
            accent: Color::Cyan,
            title_fg: Color::White,
            title_bg: Color::Blue,
            tab_active_fg: Color::Black,
            tab_active_bg: Color::Cyan,
            selection_fg: Color::Black,
            selection_bg: Color::White,
            header_fg: Color::Gray,
            demo_fg: Color::Black,
            demo_bg: Color::Yellow,
            critical: Color::LightMagenta,
            high: Color::LightRed,
            medium: Color::Yellow,
            low: Color::Cyan,
            informational: Color::DarkGray,
            good: Color::Green,
            warning: Color::Yellow,
            bad: Color::LightRed,
            error: Color::Red,
            border: Color::DarkGray,
            reverse_selection: false,
        }
    }

    pub fn built_in_names() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(name, _)| *name).collect()
    }

    /// Parses a theme file; roles it leaves out keep the default theme's colours.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ThemeError> {
        Self::parse_over(Self::default(), text, origin)
    }

    fn parse_over(mut theme: Theme, text: &str, origin: &str) -> Result<Self, ThemeError> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ThemeError::Invalid { origin: origin.to_string(), line, column, message: e.message().to_string() }
        })?;
        apply_colors(&mut theme, file.colors, text, origin)?;
        theme.name = file.name.unwrap_or_else(|| origin.to_string());
        theme.reverse_selection = theme.selection_bg == Color::Reset;
        Ok(theme)
    }

    /// A built-in theme by name, or a theme file by path (anything with a `/` or ending in `.toml`).
    pub fn load(name_or_path: &str) -> Result<Self, ThemeError> {
        if let Some((_, text)) = BUILT_IN.iter().find(|(name, _)| *name == name_or_path) {
            return Self::parse(text, &format!("themes/{name_or_path}.toml"));
        }
        if name_or_path.contains('/') || name_or_path.ends_with(".toml") {
            let path = Path::new(name_or_path);
            let text = std::fs::read_to_string(path).map_err(|e| ThemeError::Unreadable {
                origin: path.display().to_string(),
                message: format!("cannot read the theme file: {e}"),
            })?;
            return Self::parse(&text, &path.display().to_string());
        }
        Err(ThemeError::Unknown { name: name_or_path.to_string(), known: Self::built_in_names().join(", ") })
    }

    pub fn selection(&self) -> Style {
        if self.reverse_selection {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default().fg(self.selection_fg).bg(self.selection_bg)
        }
    }

    pub fn tone(&self, tone: crate::view::Tone) -> Color {
        use crate::view::Tone::*;
        match tone {
            Normal => self.text,
            Muted => self.muted,
            Critical => self.critical,
            High => self.high,
            Medium => self.medium,
            Low => self.low,
            Informational => self.informational,
            Good => self.good,
            Warning => self.warning,
            Bad => self.bad,
        }
    }
}

fn parse_color(text: &str) -> Option<Color> {
    let lower = text.trim().to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix('#') {
        if hex.len() != 6 {
            return None;
        }
        let v = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    if let Ok(index) = lower.parse::<u8>() {
        return Some(Color::Indexed(index));
    }
    Some(match lower.as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_parses() {
        for name in Theme::built_in_names() {
            assert!(Theme::load(name).is_ok(), "{name}");
        }
        assert!(Theme::load("mono").is_ok_and(|t| t.reverse_selection));
    }

    #[test]
    fn colour_forms() {
        assert_eq!(parse_color("#ff8000"), Some(Color::Rgb(255, 128, 0)));
        assert_eq!(parse_color("238"), Some(Color::Indexed(238)));
        assert_eq!(parse_color("LightBlue"), Some(Color::LightBlue));
        assert_eq!(parse_color("256"), None);
        assert_eq!(parse_color("#fff"), None);
    }

    #[test]
    fn a_bad_colour_names_file_line_and_expectation() {
        let text = "name = \"x\"\n[colors]\ntext = \"reset\"\ncritical = \"purplish\"\n";
        let err = Theme::parse(text, "my.toml").unwrap_err().to_string();
        assert!(err.starts_with("my.toml:4:12: colors.critical: expected a colour name"), "{err}");
        assert!(err.contains("\"purplish\""), "{err}");
    }

    #[test]
    fn an_unknown_role_is_rejected_with_its_line() {
        let text = "[colors]\ncritcal = \"red\"\n";
        let err = Theme::parse(text, "t.toml").unwrap_err().to_string();
        assert!(err.starts_with("t.toml:2:"), "{err}");
        assert!(err.contains("critcal"), "{err}");
    }

    #[test]
    fn unknown_names_list_the_built_in_themes() {
        let err = Theme::load("solarized").unwrap_err().to_string();
        assert!(err.contains("default, ansi16, mono"), "{err}");
    }
}
