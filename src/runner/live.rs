//! The live feed's task: finds the source's queue, long-polls it while the console looks at that
//! context, hands what arrives to the app and deletes it from the queue once handed on.

use crate::action::Action;
use crate::model::Context;
use crate::model::live::{FeedState, LiveSettings};
use crate::source::Source;
use crate::source::live::{LONG_POLL_SECONDS, Unavailable};
use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// How long to wait before looking for the queue again: `vigil live setup` run while the console
/// is open is found within this.
const LOOK_AGAIN: Duration = Duration::from_secs(300);

pub async fn listen(source: Arc<dyn Source>, settings: LiveSettings, context: Context, tx: UnboundedSender<Action>) {
    let state = |state: FeedState| Action::LiveState { context: context.clone(), state };
    let fell_back = |u: Unavailable| state(FeedState::FellBack { short: u.short.to_string(), why: u.why });
    let mut failures = 0_u32;
    loop {
        let feed = match source.live_feed(&settings).await {
            Ok(feed) => feed,
            // A source that has no feed at all (the demo, the cache): nothing to say or retry.
            Err(u) if u.short == "none" => return,
            Err(u) => {
                if tx.send(fell_back(u)).is_err() {
                    return;
                }
                tokio::time::sleep(LOOK_AGAIN).await;
                continue;
            }
        };
        // Said once a receive has worked: a queue found but not readable (denied) is not live.
        let mut listening = false;
        loop {
            // The first receive answers at once: a readable queue is said live without waiting
            // out a quiet long poll.
            let wait = if listening { LONG_POLL_SECONDS } else { 0 };
            match feed.receive(wait).await {
                Ok(received) => {
                    failures = 0;
                    if !listening {
                        listening = true;
                        if tx.send(state(FeedState::Listening { queue: feed.name() })).is_err() {
                            return;
                        }
                    }
                    if received.is_empty() {
                        continue;
                    }
                    let events = Action::LiveEvents {
                        context: context.clone(),
                        findings: received.findings,
                        malformed: received.malformed,
                        at: Utc::now(),
                    };
                    if tx.send(events).is_err() {
                        return;
                    }
                    // Handed on: the app applies actions in order. A message not deleted comes back
                    // after its visibility timeout and changes nothing (it is not newer than itself).
                    if let Err(e) = feed.delete(received.receipts).await {
                        tracing::warn!(error = %e, "live feed: delete failed");
                        let _ = tx.send(Action::Notice(format!("live feed: {e}")));
                    }
                }
                Err(e) => {
                    failures += 1;
                    tracing::warn!(error = %e, failures, "live feed: receive failed");
                    if tx.send(fell_back(Unavailable::of(&e))).is_err() {
                        return;
                    }
                    // 10 s, 20 s, ... up to 5 minutes, the polls carrying on meanwhile; then the
                    // queue is looked for again (it may have been removed and made anew).
                    let wait = Duration::from_secs(5u64.saturating_mul(1 << failures.min(6)).min(300));
                    tokio::time::sleep(wait).await;
                    break;
                }
            }
        }
    }
}
