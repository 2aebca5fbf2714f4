//! The AWS backend's part of each pane: which services it reads and how one refresh of it is made.
//! One module per pane implements [`AwsPane`] (mapping SDK types into model types there); the
//! dispatch is generated from the registry.

use super::clients::Clients;
use super::{AwsSource, ClientSettings};
use crate::model::Timestamp;
use crate::model::panes::PaneModel;
use crate::model::triage::{Target, TargetOutcome, TriageAction};
use crate::pane::PaneId;
use crate::source::{FetchOptions, Fetched, Progress, SourceError};
use futures::future::BoxFuture;

use crate::declare_pane_modules;
crate::for_each_pane!(declare_pane_modules);

/// What the AWS backend knows of a pane.
pub trait AwsPane {
    type Model: PaneModel;

    /// Makes (or finds) each client the pane calls and reads its settings: every client comes from
    /// the source's one configuration (`tests/aws_budget.rs` checks them).
    const CLIENTS: &'static [fn(&Clients) -> ClientSettings];

    /// One refresh: every account the source reads (its members through the member role) where
    /// the pane's data is per account, rows reported to `progress` as pages arrive.
    fn fetch<'a>(
        source: &'a AwsSource,
        now: Timestamp,
        options: FetchOptions,
        progress: &'a Progress,
    ) -> BoxFuture<'a, Result<Fetched, SourceError>>;

    /// [`crate::pane::Hook::Actions`]: carries out one of the pane's actions on `targets` (all
    /// routed to `source`, the account whose credentials the call needs); an outcome per target.
    fn apply<'a>(
        _source: &'a AwsSource,
        _action: &'a <Self::Model as PaneModel>::Action,
        targets: &'a [Target],
    ) -> BoxFuture<'a, Vec<TargetOutcome>> {
        let outcomes =
            targets.iter().map(|t| TargetOutcome::failed(t.clone(), "the pane has no such action")).collect();
        Box::pin(std::future::ready(outcomes))
    }
}

macro_rules! aws_dispatch {
    ($($variant:ident $module:ident),+ $(,)?) => {
        /// One refresh of `pane`.
        pub(super) fn fetch<'a>(
            source: &'a AwsSource,
            pane: PaneId,
            now: Timestamp,
            options: FetchOptions,
            progress: &'a Progress,
        ) -> BoxFuture<'a, Result<Fetched, SourceError>> {
            match pane {
                $(PaneId::$variant => <$module::Pane as AwsPane>::fetch(source, now, options, progress)),+
            }
        }

        /// Carries out `action` (of whichever pane) on `targets`.
        pub(super) fn apply<'a>(
            source: &'a AwsSource,
            action: &'a TriageAction,
            targets: &'a [Target],
        ) -> BoxFuture<'a, Vec<TargetOutcome>> {
            match action {
                $(TriageAction::$variant(action) => <$module::Pane as AwsPane>::apply(source, action, targets)),+
            }
        }

        /// Every client the panes call.
        pub(super) const CLIENTS: &[&[fn(&Clients) -> ClientSettings]] = &[$(<$module::Pane as AwsPane>::CLIENTS),+];
    };
}

crate::for_each_pane!(aws_dispatch);
