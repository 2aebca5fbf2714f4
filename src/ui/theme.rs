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
    ("light", include_str!("../../themes/light.toml")),
    ("high-contrast", include_str!("../../themes/high-contrast.toml")),
    ("colour-blind", include_str!("../../themes/colour-blind.toml")),
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

    /// The directory of the user's own themes: `~/.config/vigil/themes/`.
    pub fn user_dir() -> Option<std::path::PathBuf> {
        directories::ProjectDirs::from("", "", "vigil").map(|d| d.config_dir().join("themes"))
    }

    /// A built-in theme by name, a theme of the user's themes directory by name, or a theme file
    /// by path (anything with a `/` or ending in `.toml`).
    pub fn load(name_or_path: &str) -> Result<Self, ThemeError> {
        if let Some((_, text)) = BUILT_IN.iter().find(|(name, _)| *name == name_or_path) {
            return Self::parse(text, &format!("themes/{name_or_path}.toml"));
        }
        let own = Self::user_dir().map(|dir| dir.join(format!("{name_or_path}.toml")));
        if let Some(path) = own.filter(|p| !name_or_path.contains('/') && p.is_file()) {
            let text = std::fs::read_to_string(&path).map_err(|e| ThemeError::Unreadable {
                origin: path.display().to_string(),
                message: format!("cannot read the theme file: {e}"),
            })?;
            return Self::parse(&text, &path.display().to_string());
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

    /// A cell's style: its own colour, or the selection's on the selected row. A cell keeping its
    /// colour on the selection's background can be unreadable (bright white on bright yellow).
    pub fn cell(&self, fg: Color, selected: bool) -> Style {
        if selected { self.selection() } else { Style::default().fg(fg) }
    }

    /// A line drawn as selected: every span in the selection's colours, whatever its own.
    pub fn selected_line<'a>(&self, line: ratatui::text::Line<'a>) -> ratatui::text::Line<'a> {
        let style = self.selection();
        let spans: Vec<ratatui::text::Span<'a>> =
            line.spans.into_iter().map(|s| ratatui::text::Span::styled(s.content, s.style.patch(style))).collect();
        ratatui::text::Line::from(spans).style(style)
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

/// The colours a terminal shows, decided from the environment or the flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    Truecolor,
    Ansi256,
    Ansi16,
    None,
}

impl Depth {
    /// `NO_COLOR` (set and not empty) means none; `COLORTERM=truecolor|24bit` truecolor; a `TERM`
    /// naming 256 colours 256; `TERM=dumb` none; anything else the 16 every terminal has.
    pub fn detect(no_color: Option<&str>, colorterm: Option<&str>, term: Option<&str>) -> Self {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return Self::None;
        }
        if colorterm.is_some_and(|c| matches!(c, "truecolor" | "24bit")) {
            return Self::Truecolor;
        }
        match term.unwrap_or_default() {
            "dumb" => Self::None,
            t if t.contains("256color") || t.contains("direct") => Self::Ansi256,
            _ => Self::Ansi16,
        }
    }
}

/// The 16 ANSI colours with the RGB xterm gives them, for bringing colours down to 16.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The RGB of a 256-colour index (xterm's palette).
fn indexed_rgb(index: u8) -> (u8, u8, u8) {
    match index {
        0..=15 => ANSI16[usize::from(index)].1,
        16..=231 => {
            let i = index - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            (level(i / 36), level((i / 6) % 6), level(i % 6))
        }
        _ => {
            let grey = 8 + (index - 232) * 10;
            (grey, grey, grey)
        }
    }
}

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2) as u32;
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// The nearest 256-colour index of an RGB colour (the cube or the grey ramp).
fn nearest_256(rgb: (u8, u8, u8)) -> u8 {
    (16..=255u8).min_by_key(|&i| distance(indexed_rgb(i), rgb)).unwrap_or(16)
}

fn nearest_16(rgb: (u8, u8, u8)) -> Color {
    ANSI16.iter().min_by_key(|(_, c)| distance(*c, rgb)).map(|(color, _)| *color).unwrap_or(Color::Reset)
}

/// `color` as a terminal of `depth` can show it.
pub fn fit_color(color: Color, depth: Depth) -> Color {
    match (depth, color) {
        (Depth::None, _) => Color::Reset,
        (Depth::Truecolor, c) => c,
        (Depth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256((r, g, b))),
        (Depth::Ansi16, Color::Rgb(r, g, b)) => nearest_16((r, g, b)),
        (Depth::Ansi16, Color::Indexed(i)) => nearest_16(indexed_rgb(i)),
        (_, c) => c,
    }
}

impl Theme {
    /// The theme as a terminal of `depth` can show it; with none, no colour at all and the
    /// selection in reverse video.
    pub fn for_depth(mut self, depth: Depth) -> Self {
        for color in [
            &mut self.text,
            &mut self.muted,
            &mut self.accent,
            &mut self.title_fg,
            &mut self.title_bg,
            &mut self.tab_active_fg,
            &mut self.tab_active_bg,
            &mut self.selection_fg,
            &mut self.selection_bg,
            &mut self.header_fg,
            &mut self.demo_fg,
            &mut self.demo_bg,
            &mut self.critical,
            &mut self.high,
            &mut self.medium,
            &mut self.low,
            &mut self.informational,
            &mut self.good,
            &mut self.warning,
            &mut self.bad,
            &mut self.error,
            &mut self.border,
        ] {
            *color = fit_color(*color, depth);
        }
        if depth == Depth::None {
            self.reverse_selection = true;
        }
        self
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
    fn colours_come_down_to_what_the_terminal_shows() {
        assert_eq!(Depth::detect(Some("1"), Some("truecolor"), Some("xterm-256color")), Depth::None);
        assert_eq!(Depth::detect(Some(""), Some("truecolor"), None), Depth::Truecolor, "an empty NO_COLOR is unset");
        assert_eq!(Depth::detect(None, None, Some("screen-256color")), Depth::Ansi256);
        assert_eq!(Depth::detect(None, None, Some("xterm")), Depth::Ansi16);
        assert_eq!(Depth::detect(None, None, Some("dumb")), Depth::None);
        assert_eq!(fit_color(Color::Rgb(0xD5, 0x5E, 0x00), Depth::Ansi256), Color::Indexed(166));
        assert_eq!(fit_color(Color::Rgb(255, 10, 10), Depth::Ansi16), Color::LightRed);
        assert_eq!(fit_color(Color::Indexed(24), Depth::Ansi16), Color::Cyan);
        assert_eq!(fit_color(Color::Indexed(24), Depth::Ansi256), Color::Indexed(24));
        let mono = Theme::load("colour-blind").unwrap().for_depth(Depth::None);
        assert!(mono.reverse_selection && mono.critical == Color::Reset && mono.title_bg == Color::Reset);
        for name in Theme::built_in_names() {
            let theme = Theme::load(name).unwrap().for_depth(Depth::Ansi16);
            for c in [theme.critical, theme.high, theme.medium, theme.low, theme.selection_bg, theme.accent] {
                assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{name}: {c:?} in 16 colours");
            }
        }
    }

    #[test]
    fn unknown_names_list_the_built_in_themes() {
        let err = Theme::load("solarized").unwrap_err().to_string();
        assert!(err.contains("default, ansi16, mono, light, high-contrast, colour-blind"), "{err}");
    }
}
