package io.outrigger.lab.report;

import io.outrigger.lab.checker.Availability;
import io.outrigger.lab.checker.Convergence;
import io.outrigger.lab.checker.KeyVerdict;
import io.outrigger.lab.checker.Ratio;
import io.outrigger.lab.checker.StaleReads;
import io.outrigger.lab.checker.Validity;
import io.outrigger.lab.checker.Witness;
import io.outrigger.lab.history.Operation;
import io.outrigger.lab.history.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders {@code report.html}: one self-contained file (inline CSS and SVG, no scripts, no external
 * resources) with the verdict on top, the figures, the witness of a violation (its own zoomed
 * timeline and a table), the whole timeline, and the fault windows with per-side availability.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** The page for {@code report}. */
  public static String render(LabReport r) {
    Validity v = r.validity();
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.append(
        "<title>Outrigger lab · %s%s · %s · %s%s</title>"
            .formatted(
                r.store().equals("kvstore") ? "" : r.store() + " · ",
                r.mode(),
                r.nemesis(),
                v,
                r.interrupted() ? " · interrupted" : ""));
    h.append("<style>").append(CSS).append("</style></head><body>");
    header(h, r, v);
    if (r.interrupted()) {
      h.append(
          "<p class=\"interrupted\">INTERRUPTED: the run was stopped early. The verdict covers the"
              + " history up to the stop; the final reads were skipped.</p>");
    }
    cards(h, r);
    if (r.linearizability() != null) {
      r.linearizability()
          .smallestWitness()
          .ifPresent(w -> witness(h, w, r.linearizability().witnesses().size()));
    }
    timeline(h, r);
    faults(h, r.availability());
    if (r.elections() != null) {
      LeadersReport.html(h, r.elections());
    }
    if (r.linearizability() != null) {
      keys(h, r.linearizability().keys());
    }
    if (r.staleReads() != null && r.staleReads().count() > 0) {
      stale(h, r.staleReads());
    }
    finalReads(h, r.convergence());
    if (!r.nemesisErrors().isEmpty()) {
      h.append("<section><h2>Nemesis errors</h2><ul>");
      r.nemesisErrors().forEach(e -> h.append("<li>").append(Html.escape(e)).append("</li>"));
      h.append("</ul></section>");
    }
    h.append(
        "<footer>seed %d · history in <code>history.jsonl</code> · figures in <code>report.json</code></footer>"
            .formatted(r.seed()));
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void header(StringBuilder h, LabReport r, Validity v) {
    String verdict =
        switch (v) {
          case VALID -> "VALID";
          case INVALID -> "INVALID";
          case UNKNOWN -> "UNKNOWN";
        };
    String claim =
        r.linearizability() != null
            ? switch (v) {
              case VALID -> "Every key's history is linearizable.";
              case INVALID ->
                  "Not linearizable: the store returned something no atomic register could.";
              case UNKNOWN ->
                  "The linearizability search ran out of budget on some key; no verdict.";
            }
            : r.convergence().converged()
                ? "Replicas converged after the heal and clients were served."
                : "Replicas did not converge after the heal, or clients were refused.";
    h.append(
        "<header class=\"verdict %s\"><div class=\"badge\">%s</div><div><h1>%s store under %s</h1><p>%s</p>"
            .formatted(
                verdict.toLowerCase(java.util.Locale.ROOT),
                verdict,
                Html.escape(
                    r.store().equals("kvstore") ? r.mode() : r.store() + " (" + r.mode() + ")"),
                Html.escape(r.nemesis()),
                claim));
    h.append(
        "<p class=\"meta\">%s · %s · %d nodes (%s) · %d clients · %d keys · %.1f s, interval %.1f s</p></div></header>"
            .formatted(
                Html.escape(r.storeDescription()),
                r.startedAt(),
                r.nodes().size(),
                String.join(", ", r.nodes()),
                r.clients(),
                r.keys().size(),
                r.durationMillis() / 1e3,
                r.intervalMillis() / 1e3));
  }

  private static void cards(StringBuilder h, LabReport r) {
    h.append("<section class=\"cards\">");
    card(h, "ok", Long.toString(r.count(Outcome.OK)), "operations");
    card(h, "fail", Long.toString(r.count(Outcome.FAIL)), "failed, no effect");
    card(h, "info", Long.toString(r.count(Outcome.INFO)), "indeterminate");
    card(h, "", percent(r.availability().overall()), "available overall");
    card(h, "", percent(r.availability().duringFaults()), "available during faults");
    if (r.linearizability() != null) {
      card(
          h,
          r.linearizability().validity() == Validity.VALID ? "ok" : "fail",
          Json.validityText(r.linearizability().validity()),
          "linearizable");
    } else {
      card(
          h,
          r.convergence().converged() ? "ok" : "fail",
          Boolean.toString(r.convergence().converged()),
          "converged");
      long ms = r.convergence().convergenceMillis();
      card(h, "", ms < 0 ? "—" : ms + " ms", "to converge after the heal");
      card(
          h,
          r.staleReads().count() == 0 ? "ok" : "info",
          Integer.toString(r.staleReads().count()),
          "stale reads of " + r.staleReads().reads());
    }
    if (r.elections() != null) {
      card(h, "", Integer.toString(r.elections().changes()), "leader changes");
      r.elections().windows().stream()
          .mapToLong(w -> w.electionNanos())
          .filter(n -> n >= 0)
          .max()
          .ifPresent(
              n -> card(h, "", "%.0f ms".formatted(n / 1e6), "slowest election after a cut"));
    }
    h.append("</section>");
  }

  private static void card(StringBuilder h, String cls, String value, String label) {
    h.append(
        "<div class=\"card %s\"><div class=\"value\">%s</div><div class=\"label\">%s</div></div>"
            .formatted(cls, Html.escape(value), Html.escape(label)));
  }

  private static void witness(StringBuilder h, Witness w, int keysViolated) {
    h.append("<section class=\"witness\"><h2>Why it is not linearizable</h2>");
    h.append("<p class=\"explanation\">%s</p>".formatted(Html.escape(w.explanation())));
    h.append(
        "<p class=\"meta\">The %s set of %d operation%s on key <code>%s</code> that still shows the violation%s.</p>"
            .formatted(
                w.minimal() ? "smallest" : "small",
                w.operations().size(),
                w.operations().size() == 1 ? "" : "s",
                Html.escape(w.key()),
                keysViolated > 1
                    ? " (" + keysViolated + " keys violated; this is the smallest witness)"
                    : ""));
    long from = w.operations().stream().mapToLong(Operation::startNanos).min().orElse(0);
    long to = w.operations().stream().mapToLong(Operation::endNanos).max().orElse(1);
    long pad = Math.max((to - from) / 10, 1_000_000);
    Set<Integer> ids = w.operations().stream().map(Operation::id).collect(Collectors.toSet());
    h.append(TimelineSvg.render(w.operations(), List.of(), ids, from - pad, to + 3 * pad, true));
    h.append(
        "<table><tr><th>#</th><th>client</th><th>op</th><th>key</th><th>value</th><th>outcome</th><th>node</th><th>answered"
            + " by</th><th>start</th><th>end</th></tr>");
    for (Operation op : w.operations()) {
      h.append(
          "<tr class=\"%s\"><td>%d</td><td>%s</td><td>%s</td><td><code>%s</code></td><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%.3f s</td><td>%.3f s</td></tr>"
              .formatted(
                  op.type().wireName(),
                  op.id(),
                  op.process() == Operation.FINAL_PROCESS ? "final" : "c" + op.process(),
                  op.f().wireName(),
                  Html.escape(op.key()),
                  op.value() == null ? "nil" : Html.escape(op.value()),
                  op.type().wireName(),
                  Html.escape(op.node()),
                  Html.escape(op.replica() == null ? "—" : op.replica()),
                  op.startNanos() / 1e9,
                  op.endNanos() / 1e9));
    }
    h.append("</table></section>");
  }

  private static void timeline(StringBuilder h, LabReport r) {
    Set<Integer> ids =
        r.linearizability() == null
            ? Set.of()
            : r.linearizability().witnesses().stream()
                .flatMap(w -> w.operations().stream())
                .map(Operation::id)
                .collect(Collectors.toSet());
    h.append("<section><h2>Timeline</h2>");
    h.append(
        "<p class=\"legend\"><span class=\"sw ok\"></span>ok <span class=\"sw fail\"></span>fail"
            + " <span class=\"sw info\"></span>indeterminate <span class=\"sw write\"></span>write"
            + " (tall) <span class=\"sw read\"></span>read (thin) <span class=\"sw"
            + " fault\"></span>fault in force"
            + (ids.isEmpty() ? "" : " <span class=\"sw witness\"></span>witness")
            + " · hover a bar for details</p>");
    h.append(
        TimelineSvg.render(
            r.history().operations(),
            r.history().faults(),
            ids,
            0,
            Math.max(r.history().endNanos(), 1)));
    h.append("</section>");
  }

  private static void faults(StringBuilder h, Availability a) {
    if (a.windows().isEmpty()) {
      return;
    }
    h.append(
        "<section><h2>Faults</h2><table><tr><th>fault</th><th>from</th><th>to</th><th>applied"
            + " in</th><th>healed in</th><th>availability in force</th><th>per side</th></tr>");
    for (Availability.WindowAvailability w : a.windows()) {
      String sides =
          new TreeMap<>(w.bySide())
              .entrySet().stream()
                  .map(
                      e ->
                          "%s %s (%d/%d)"
                              .formatted(
                                  e.getKey(),
                                  percent(e.getValue()),
                                  e.getValue().ok(),
                                  e.getValue().attempted()))
                  .collect(Collectors.joining(", "));
      h.append(
          "<tr><td>%s</td><td>%.3f s</td><td>%.3f s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>"
              .formatted(
                  Html.escape(w.window().description()),
                  w.window().startNanos() / 1e9,
                  w.window().endNanos() / 1e9,
                  millisOrUnconfirmed(w.window().applyMillis()),
                  millisOrUnconfirmed(w.window().healMillis()),
                  percent(w.all()),
                  sides.isEmpty() ? "—" : Html.escape(sides)));
    }
    h.append("</table></section>");
  }

  private static String millisOrUnconfirmed(long millis) {
    return millis < 0 ? "not confirmed" : millis + " ms";
  }

  private static void keys(StringBuilder h, List<KeyVerdict> keys) {
    h.append(
        "<section><h2>Keys</h2><table><tr><th>key</th><th>linearizable</th><th>detail</th></tr>");
    for (KeyVerdict k : keys) {
      String detail;
      if (k instanceof KeyVerdict.Linearizable l) {
        detail = l.operations() + " operations, " + l.steps() + " search steps";
      } else if (k instanceof KeyVerdict.Unknown u) {
        detail =
            "gave up after " + u.steps() + " search steps over " + u.operations() + " operations";
      } else {
        detail =
            "witness of "
                + ((KeyVerdict.NotLinearizable) k).witness().operations().size()
                + " operations";
      }
      h.append(
          "<tr class=\"%s\"><td><code>%s</code></td><td>%s</td><td>%s</td></tr>"
              .formatted(
                  k.validity() == Validity.VALID
                      ? "ok"
                      : k.validity() == Validity.INVALID ? "fail" : "info",
                  Html.escape(k.key()),
                  Json.validityText(k.validity()),
                  detail));
    }
    h.append("</table></section>");
  }

  private static void stale(StringBuilder h, StaleReads s) {
    h.append(
        "<section><h2>Stale reads</h2><p class=\"meta\">A read is stale when it returned something older than a write that had completed before the read began (%d of %d reads; first %d shown).</p><ul>"
            .formatted(s.count(), s.reads(), s.examples().size()));
    for (StaleReads.Example e : s.examples()) {
      h.append(
          "<li>%s — missed %s</li>"
              .formatted(
                  Html.escape(e.read().describe()), Html.escape(e.missedWrite().describe())));
    }
    h.append("</ul></section>");
  }

  private static void finalReads(StringBuilder h, Convergence c) {
    if (c.finalReads().isEmpty()) {
      return;
    }
    List<String> nodes =
        c.finalReads().values().iterator().next().keySet().stream().sorted().toList();
    h.append("<section><h2>Replicas after the heal</h2><table><tr><th>key</th>");
    nodes.forEach(n -> h.append("<th>").append(Html.escape(n)).append("</th>"));
    h.append("</tr>");
    for (Map.Entry<String, Map<String, Convergence.LocalValue>> e :
        new TreeMap<>(c.finalReads()).entrySet()) {
      boolean divergent = c.divergent().contains(e.getKey());
      h.append(
          "<tr class=\"%s\"><td><code>%s</code></td>"
              .formatted(divergent ? "fail" : "", Html.escape(e.getKey())));
      for (String n : nodes) {
        Convergence.LocalValue v = e.getValue().get(n);
        String text =
            v == null
                ? "—"
                : v.error() != null
                    ? v.error()
                    : (v.value() == null ? "nil" : v.value())
                        + (v.version() == null ? "" : " @" + v.version());
        h.append("<td>").append(Html.escape(text)).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table></section>");
  }

  private static String percent(Ratio r) {
    return r.attempted() == 0 ? "—" : "%.1f%%".formatted(r.value() * 100);
  }

  private static final String CSS =
      """
      :root{--ok:#2e9d5b;--fail:#e4572e;--info:#9aa0a6;--witness:#6f2dbd;--fault:rgba(228,87,46,.10);
        --ink:#1d2330;--muted:#667085;--line:#e4e7ec;--bg:#f7f8fa}
      *{box-sizing:border-box}
      body{margin:0;padding:0 32px 40px;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
      header.verdict{display:flex;gap:24px;align-items:center;margin:0 -32px 24px;padding:28px 32px;color:#fff}
      header.valid{background:linear-gradient(120deg,#1f7a47,#2e9d5b)}
      header.invalid{background:linear-gradient(120deg,#a8321a,#e4572e)}
      header.unknown{background:linear-gradient(120deg,#8a6d0b,#c79a12)}
      .badge{font-size:28px;font-weight:800;letter-spacing:.06em;padding:14px 22px;border:3px solid rgba(255,255,255,.85);border-radius:12px}
      h1{margin:0 0 4px;font-size:24px}
      h2{font-size:17px;margin:28px 0 10px}
      .interrupted{margin:16px 0 0;padding:10px 16px;border-radius:8px;background:#fff4e5;border:2px solid #f79009;font-weight:600}
      header p{margin:2px 0}
      .meta{color:var(--muted)}
      header .meta{color:rgba(255,255,255,.85)}
      .cards{display:flex;flex-wrap:wrap;gap:12px}
      .card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 18px;min-width:140px;border-top:4px solid #c9ced6}
      .card.ok{border-top-color:var(--ok)}.card.fail{border-top-color:var(--fail)}.card.info{border-top-color:var(--info)}
      .card .value{font-size:24px;font-weight:700}
      .card .label{color:var(--muted);font-size:12px}
      section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:4px 18px 16px;margin-top:18px}
      section.cards{background:none;border:0;padding:0}
      section.witness{border:2px solid var(--witness)}
      .explanation{font-size:15px;font-weight:600}
      table{border-collapse:collapse;width:100%;margin-top:10px;font-size:13px}
      th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line)}
      th{color:var(--muted);font-weight:600}
      tr.fail td:first-child{border-left:3px solid var(--fail)}tr.info td:first-child{border-left:3px solid var(--info)}tr.ok td:first-child{border-left:3px solid var(--ok)}
      code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
      svg.timeline{display:block;margin-top:8px}
      svg .lane{fill:#fff}svg .lane.even{fill:#f4f6f9}
      svg .op-label{font:11px ui-monospace,monospace;fill:var(--ink)}
      svg .lane-label{font:11px ui-monospace,monospace;fill:var(--muted);text-anchor:end}
      svg .tick{stroke:#e9ecf1;stroke-width:1}svg .tick-label{font:10px sans-serif;fill:var(--muted);text-anchor:middle}
      svg .fault rect{fill:var(--fault);stroke:rgba(228,87,46,.45);stroke-dasharray:4 3}
      svg .fault text{font:600 11px sans-serif;fill:#a8321a}
      svg .op{stroke:rgba(0,0,0,.25);stroke-width:.5}
      svg .op.ok{fill:var(--ok)}svg .op.fail{fill:var(--fail)}svg .op.info{fill:url(#hatch)}
      svg .op.read{opacity:.85}
      svg .op.witness{stroke:var(--witness);stroke-width:2.5;opacity:1}
      svg .op:hover{stroke:#000;stroke-width:1.5}
      .legend{color:var(--muted);font-size:12px}
      .sw{display:inline-block;width:18px;height:10px;border-radius:2px;margin:0 4px 0 12px;vertical-align:middle}
      .sw.ok{background:var(--ok)}.sw.fail{background:var(--fail)}.sw.info{background:var(--info)}
      .sw.write{background:#555;height:12px}.sw.read{background:#555;height:5px;border-radius:3px}
      .sw.fault{background:var(--fault);border:1px dashed rgba(228,87,46,.6)}.sw.witness{border:2.5px solid var(--witness)}
      footer{margin-top:24px;color:var(--muted);font-size:12px}
      """;
}
