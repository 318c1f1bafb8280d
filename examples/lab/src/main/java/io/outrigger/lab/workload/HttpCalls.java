package io.outrigger.lab.workload;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * One blocking HTTP exchange of a store adapter, with every transport failure turned into a {@link
 * StoreReply.Failure} that says whether the request may have been sent: a connect that failed or
 * timed out sent nothing; a response timeout, a reset or a closed connection may have.
 */
public final class HttpCalls {
  private HttpCalls() {}

  /**
   * Sends {@code request} on the calling thread and maps the answer with {@code answered}, or the
   * failure with {@code failed}.
   *
   * @param timeout the request's timeout, named in the failure's text
   */
  public static <T> T send(
      HttpClient http,
      HttpRequest request,
      Duration timeout,
      Function<HttpResponse<String>, T> answered,
      Function<StoreReply.Failure, T> failed) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      return failed.apply(
          new StoreReply.Failure(
              true, true, "connect timeout after " + timeout.toMillis() + " ms"));
    } catch (HttpTimeoutException e) {
      return failed.apply(
          new StoreReply.Failure(true, false, "timeout after " + timeout.toMillis() + " ms"));
    } catch (ConnectException e) {
      return failed.apply(new StoreReply.Failure(false, true, "connect: " + e.getMessage()));
    } catch (IOException e) {
      return failed.apply(
          new StoreReply.Failure(
              false, false, e.getClass().getSimpleName() + ": " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed.apply(new StoreReply.Failure(false, false, "interrupted"));
    }
    return answered.apply(response);
  }
}
