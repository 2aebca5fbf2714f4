//! Which columns a table shows at a width: the UI draws them, the app sorts among them (a sort
//! by a column the width hides would reorder the rows for no reason on screen).

use super::{Column, Width};

/// Cells between two columns.
pub const SPACING: u16 = 1;

/// Cells the gutter takes (a row's mark `●` or new `+`, and a space) while the table shows it.
pub const GUTTER: u16 = 2;

/// [`fit_columns`] for a table `width` cells wide that may show the gutter (rows marked or new):
/// the one rule the UI draws by and the app sorts by.
pub fn fit_table(columns: &[Column], width: u16, hidden: &[usize], gutter: bool) -> Vec<(usize, u16)> {
    fit_columns(columns, if gutter { width.saturating_sub(GUTTER) } else { width }, hidden)
}

/// Which columns fit in `width` and how wide each is: low-priority columns go first when narrow.
pub fn fit_columns(columns: &[Column], width: u16, hidden: &[usize]) -> Vec<(usize, u16)> {
    let mut chosen: Vec<usize> = (0..columns.len()).filter(|i| !hidden.contains(i)).collect();
    let needed = |chosen: &[usize]| -> u16 {
        let cells: u16 = chosen
            .iter()
            .map(|&i| match columns[i].width {
                Width::Fixed(w) | Width::Flexible(w) => w,
            })
            .sum();
        cells + SPACING * chosen.len().saturating_sub(1) as u16
    };
    while chosen.len() > 1 && needed(&chosen) > width {
        // Drop the least important column; among equals the rightmost.
        if let Some(pos) =
            chosen.iter().enumerate().max_by_key(|(pos, i)| (columns[**i].priority, *pos)).map(|(pos, _)| pos)
        {
            chosen.remove(pos);
        }
    }
    let fixed_and_min = needed(&chosen);
    let spare = width.saturating_sub(fixed_and_min);
    let flexible: Vec<usize> =
        chosen.iter().copied().filter(|&i| matches!(columns[i].width, Width::Flexible(_))).collect();
    let flex_min_total: u16 = flexible
        .iter()
        .map(|&i| match columns[i].width {
            Width::Flexible(w) | Width::Fixed(w) => w,
        })
        .sum();
    let mut given = 0u16;
    chosen
        .iter()
        .map(|&i| match columns[i].width {
            Width::Fixed(w) => (i, w),
            Width::Flexible(min) => {
                let is_last = flexible.last() == Some(&i);
                let share = if is_last {
                    spare - given
                } else {
                    (u32::from(spare) * u32::from(min) / u32::from(flex_min_total.max(1))) as u16
                };
                given += share;
                (i, min + share)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Column] = &[
        Column::new("A", Width::Fixed(4), 0),
        Column::new("B", Width::Flexible(10), 0),
        Column::new("C", Width::Fixed(8), 2),
        Column::new("D", Width::Flexible(6), 1),
    ];

    #[test]
    fn wide_screens_give_spare_room_to_flexible_columns() {
        let fitted = fit_columns(COLS, 60, &[]);
        assert_eq!(fitted.len(), 4);
        let total: u16 = fitted.iter().map(|(_, w)| w).sum::<u16>() + 3;
        assert_eq!(total, 60);
    }

    #[test]
    fn narrow_screens_drop_low_priority_columns_first() {
        let fitted: Vec<usize> = fit_columns(COLS, 22, &[]).into_iter().map(|(i, _)| i).collect();
        assert_eq!(fitted, vec![0, 1, 3]);
        let fitted: Vec<usize> = fit_columns(COLS, 15, &[]).into_iter().map(|(i, _)| i).collect();
        assert_eq!(fitted, vec![0, 1]);
    }
}
