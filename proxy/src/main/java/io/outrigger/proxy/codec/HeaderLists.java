package io.outrigger.proxy.codec;

/**
 * Reads a header value as a comma-separated list, the way Netty's {@code HttpHeaders.containsValue}
 * does, without a substring per element.
 */
final class HeaderLists {
  private HeaderLists() {}

  /**
   * Netty's reading of a list: every element before a comma, trimmed of characters up to space, and
   * the element after the last comma unless it is empty.
   */
  static boolean hasElement(CharSequence list, CharSequence element, boolean ignoreCase) {
    int n = list.length();
    int begin = 0;
    while (true) {
      int end = begin;
      while (end < n && list.charAt(end) != ',') {
        end++;
      }
      int from = begin;
      int to = end;
      while (from < to && list.charAt(from) <= ' ') {
        from++;
      }
      while (to > from && list.charAt(to - 1) <= ' ') {
        to--;
      }
      if (to - from == element.length() && sameChars(list, from, element, ignoreCase)) {
        return true;
      }
      begin = end + 1;
      if (begin >= n) {
        return false;
      }
    }
  }

  private static boolean sameChars(
      CharSequence s, int from, CharSequence element, boolean ignoreCase) {
    for (int i = 0; i < element.length(); i++) {
      char a = s.charAt(from + i);
      char b = element.charAt(i);
      if (a != b && !(ignoreCase && lowerAscii(a) == lowerAscii(b))) {
        return false;
      }
    }
    return true;
  }

  private static char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }
}
