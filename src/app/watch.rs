//! The watch: what the console keeps about the account over time rather than per pane. The
//! war-room board's trail, the security score history and the alerts' memory. Panes tell it what
//! their data means when it lands (`AppPane::on_loaded`), and a context switch starts it afresh.

use super::MessageLevel;
use super::board::BoardState;
use crate::action::Effect;
use crate::model::alerts::{AlertSettings, AlertState};
use crate::model::history::ScoreHistory;
use crate::model::{Context, PaneData, Standard, Timestamp};

/// The score history's series of the summary score (beside the standards' ARNs).
pub const SUMMARY_SERIES: &str = "summary";

/// A made-up past for a new score series (the demo's: so its sparklines have something to show):
/// `(series key, now, score now)` to earlier samples.
pub type MadeUpPast = fn(&str, Timestamp, u8) -> Vec<(Timestamp, u8)>;

#[derive(Debug, Clone, Default)]
pub struct Watch {
    pub board: BoardState,
    /// Security scores over time (the data directory's, or the demo's made-up past).
    pub score_history: ScoreHistory,
    /// Whether new scores are saved (`Effect::SaveScoreHistory`): not for the demo.
    pub keep_score_history: bool,
    /// Fills a new series' past, when the source has one to give.
    pub made_up_past: Option<MadeUpPast>,
    /// Alerts, when on (`[alerts]`, `--alerts`, `--war-room`).
    pub alert_settings: Option<AlertSettings>,
    pub alert_state: AlertState,
}

impl Watch {
    /// Another account is shown: the board's trail and lists were the old one's, and what alerts
    /// compare with too (the new account's first load is a baseline, not a flood of arrivals).
    pub fn new_context(&mut self) {
        self.board = BoardState::default();
        self.alert_state.new_baseline();
    }

    /// Records the scores a Compliance refresh brought; the effect saves them.
    pub fn record_scores(&mut self, context: &Context, standards: &[Standard], at: Timestamp) -> Vec<Effect> {
        let scores = standards
            .iter()
            .map(|s| (s.arn.as_str(), s.score()))
            .chain([(SUMMARY_SERIES, crate::model::compliance::summary_score(standards))]);
        for (arn, score) in scores {
            let Some(score) = score else { continue };
            let key = ScoreHistory::key(&context.account, &context.region, arn);
            if let Some(past) = self.made_up_past.filter(|_| !self.score_history.series.contains_key(&key)) {
                for (then, value) in past(&key, at, score) {
                    self.score_history.record(&key, then, value);
                }
            }
            self.score_history.record(&key, at, score);
        }
        if self.keep_score_history { vec![Effect::SaveScoreHistory(self.score_history.clone())] } else { Vec::new() }
    }

    /// New data of a pane: what rings for it, once each, within the rate limit; and the message
    /// that says so.
    pub fn alerts(&mut self, data: &PaneData, at: Timestamp) -> (Vec<Effect>, Option<(MessageLevel, String)>) {
        let Some(settings) = &self.alert_settings else { return (Vec::new(), None) };
        let Some(candidates) = data.alerts(settings.min_severity, at) else { return (Vec::new(), None) };
        let arrived = self.alert_state.arrivals(data.pane(), candidates, at);
        let alerts = self.alert_state.admit(arrived, settings.per_minute, at);
        if alerts.is_empty() {
            return (Vec::new(), None);
        }
        let more = if alerts.len() > 1 { format!(" (+{} more)", alerts.len() - 1) } else { String::new() };
        let message = (MessageLevel::Info, format!("alert: {}{more}", alerts[0].title));
        (vec![Effect::Alert { alerts, settings: settings.clone() }], Some(message))
    }
}
