package io.hoptrace.faults.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak's curves as one SVG picture: panels stacked vertically, each with its series as lines over
 * the run's minutes, its value range on the axis and a legend. Plain SVG: a Markdown viewer shows it.
 */
public final class SvgChart {
  /** One panel: a title, a unit, and its series by name (points of seconds, value). */
  public record Panel(String title, String unit, Map<String, List<double[]>> series) {}

  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"};
  private static final int WIDTH = 900;
  private static final int PANEL_HEIGHT = 200;
  private static final int LEFT = 95;
  private static final int RIGHT = 180;
  private static final int TOP = 30;
  private static final int BOTTOM = 30;

  private final List<Panel> panels = new ArrayList<>();

  public SvgChart panel(String title, String unit, Map<String, List<double[]>> series) {
    panels.add(new Panel(title, unit, new LinkedHashMap<>(series)));
    return this;
  }

  /** The picture over {@code xSeconds}, with a dashed line where the load stopped ({@code markSeconds}; none when negative). */
  public String render(double xSeconds, double markSeconds) {
    String svg = render(xSeconds);
    if (markSeconds < 0 || markSeconds > xSeconds) {
      return svg;
    }
    StringBuilder marks = new StringBuilder();
    int plotW = WIDTH - LEFT - RIGHT;
    double x = LEFT + plotW * markSeconds / Math.max(1, xSeconds);
    for (int i = 0; i < panels.size(); i++) {
      int y0 = i * (PANEL_HEIGHT + TOP + BOTTOM) + TOP;
      marks.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#666\" stroke-dasharray=\"4 3\"/>%n",
          x, y0, x, y0 + PANEL_HEIGHT));
      marks.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#666\">load stops</text>%n", x + 4, y0 + 12));
    }
    return svg.replace("</svg>\n", marks + "</svg>\n");
  }

  public String render(double runSeconds) {
    int height = panels.size() * (PANEL_HEIGHT + TOP + BOTTOM);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
        WIDTH, height, WIDTH, height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    double xMax = Math.max(1, runSeconds);
    for (int i = 0; i < panels.size(); i++) {
      Panel p = panels.get(i);
      int y0 = i * (PANEL_HEIGHT + TOP + BOTTOM) + TOP;
      double max = 0;
      for (List<double[]> s : p.series().values()) {
        for (double[] pt : s) {
          max = Math.max(max, pt[1]);
        }
      }
      max = max <= 0 ? 1 : niceCeiling(max);
      int plotW = WIDTH - LEFT - RIGHT;
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT, y0 - 10, escape(p.title())));
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, y0, plotW, PANEL_HEIGHT));
      for (int g = 0; g <= 4; g++) {
        double v = max * g / 4;
        double y = y0 + PANEL_HEIGHT - PANEL_HEIGHT * g / 4.0;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT, y, LEFT + plotW, y));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 5, y + 4, label(v) + " " + escape(p.unit())));
      }
      double minutes = xMax / 60;
      int step = minutes <= 10 ? 1 : minutes <= 60 ? 5 : 15;
      for (int m = 0; m <= minutes; m += step) {
        double x = LEFT + plotW * (m * 60 / xMax);
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d min</text>%n", x, y0 + PANEL_HEIGHT + 16, m));
      }
      int c = 0;
      for (Map.Entry<String, List<double[]>> s : p.series().entrySet()) {
        String colour = COLOURS[c % COLOURS.length];
        StringBuilder pts = new StringBuilder();
        for (double[] pt : s.getValue()) {
          double x = LEFT + plotW * Math.min(1, pt[0] / xMax);
          double y = y0 + PANEL_HEIGHT - PANEL_HEIGHT * Math.min(1, pt[1] / max);
          pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n", colour, pts.toString().trim()));
        int ly = y0 + 14 + 16 * c;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
            LEFT + plotW + 10, ly - 4, LEFT + plotW + 28, ly - 4, colour));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 32, ly, escape(s.getKey())));
        c++;
      }
    }
    return svg.append("</svg>\n").toString();
  }

  /** 1, 2 or 5 times a power of ten, at or above {@code v}. */
  static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double f : new double[] {1, 2, 5, 10}) {
      if (f * magnitude >= v) {
        return f * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String label(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
