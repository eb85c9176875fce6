//! kubectl's table layout: tabwriter with padding 3, every column left-aligned.

/// Render rows (the first is the header) with columns padded to the widest cell + 3 spaces.
pub fn render(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for r in rows {
        for (i, cell) in r.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < r.len() {
                for _ in cell.chars().count()..widths[i] + 3 {
                    line.push(' ');
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_pad_by_three() {
        let t =
            super::render(&[vec!["NAME".into(), "AGE".into()], vec!["service/normal-service".into(), "13s".into()]]);
        assert_eq!(t, "NAME                     AGE\nservice/normal-service   13s\n");
    }
}
