package io.netsvc.cluster.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onComplete;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * netsvc's Management HTTP routes (registered in application.conf): {@code GET
 * /servicelb/services}, {@code /servicelb/nodes/{node}}, {@code /servicelb/pools}.
 */
public final class NetsvcRoutes implements ManagementRouteProvider {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final ServiceLbQueries queries;

  public NetsvcRoutes(ExtendedActorSystem system) {
    this.queries = new ServiceLbQueries(Adapter.toTyped(system));
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return pathPrefix(
        "servicelb",
        () ->
            get(
                () ->
                    concat(
                        path("services", () -> json(queries.services())),
                        path("pools", () -> json(queries.pools())),
                        pathPrefix(
                            "nodes",
                            () -> path(PathMatchers.segment(), node -> json(queries.ledger(node)))),
                        pathEndOrSingleSlash(
                            () ->
                                complete(
                                    "netsvc ServiceLB routes: "
                                        + "/servicelb/services /servicelb/nodes/{node} /servicelb/pools\n")))));
  }

  private static Route json(CompletionStage<?> answer) {
    return onComplete(
        answer,
        result -> {
          if (result.isFailure()) {
            return complete(
                StatusCodes.SERVICE_UNAVAILABLE,
                "{\"error\":" + quote(String.valueOf(result.failed().get().getMessage())) + "}");
          }
          try {
            return complete(
                HttpEntities.create(
                    ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(result.get())));
          } catch (Exception e) {
            return complete(StatusCodes.INTERNAL_SERVER_ERROR, e.toString());
          }
        });
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (Exception e) {
      return "\"\"";
    }
  }
}
