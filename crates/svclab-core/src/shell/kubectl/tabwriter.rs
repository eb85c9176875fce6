//! Go's `text/tabwriter` column algorithm (left-aligned, space padding), which kubectl's
//! `describe` output goes through: consecutive lines that have a tab-terminated cell in the
//! same column form a block, and the block's cells are padded to its widest cell + padding.
//! The text after a line's last tab is never padded.

/// Format `text` (cells separated by `\t`, lines by `\n`) as tabwriter does with
/// `minwidth 0, padding`.
pub fn format(text: &str, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::new();
    let mut widths = Vec::new();
    block(&lines, 0, lines.len(), &mut widths, padding, &mut out);
    // `split` yields one empty trailing line for text ending in '\n'; drop its newline.
    if !text.ends_with('\n') {
        out.pop();
    } else {
        out.truncate(out.len().saturating_sub(1));
    }
    out
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn block(lines: &[Vec<&str>], mut line0: usize, line1: usize, widths: &mut Vec<usize>, pad: usize, out: &mut String) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut w = 0;
        while this < line1 && column + 1 < lines[this].len() {
            w = w.max(width(lines[this][column]) + pad);
            this += 1;
        }
        widths.push(w);
        block(lines, line0, this, widths, pad, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in &lines[from..to] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j + 1 < line.len() {
                if let Some(w) = widths.get(j) {
                    for _ in width(cell)..*w {
                        out.push(' ');
                    }
                }
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn blocks_align_like_go_tabwriter() {
        // `  IP:` shares a block with the lines after it (as in kubectl's pod describe, where
        // `Controlled By:` widens the `IP:` line); a line without a tab ends a block.
        let t = "Name:\tx\nService Account:\tdefault\nIPs:\n  IP:\t10.0.0.1\nPort:\t<unset>\t80/TCP\nTargetPort:\t3000/TCP\n";
        assert_eq!(
            super::format(t, 2),
            "Name:             x\nService Account:  default\nIPs:\n  IP:        10.0.0.1\nPort:        <unset>  80/TCP\nTargetPort:  3000/TCP\n"
        );
    }
}
