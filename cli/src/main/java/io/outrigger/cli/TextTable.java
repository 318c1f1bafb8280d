package io.outrigger.cli;

import java.util.List;

/** Rows of text as left-aligned columns, for the tables the commands print. */
public final class TextTable {
  private TextTable() {}

  /**
   * @param rows the header first; every row as long as the header
   * @param gap spaces between columns
   */
  public static String render(List<String[]> rows, int gap) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + gap));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
