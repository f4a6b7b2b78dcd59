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
import io.netsvc.cluster.ManagementDeps;
import io.netsvc.cluster.NetsvcHandles;
import java.util.Optional;
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
 * /servicelb/services}, {@code /servicelb/nodes/{node}}, {@code /servicelb/pools}, {@code
 * /netpol/nodes/{node}}, {@code /netpol/policies/{ns}/{name}}.
 */
public final class NetsvcRoutes implements ManagementRouteProvider {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final ServiceLbQueries queries;
  private final NetpolQueries netpol;

  private final org.apache.pekko.actor.typed.ActorSystem<?> typed;

  public NetsvcRoutes(ExtendedActorSystem system) {
    this.typed = Adapter.toTyped(system);
    this.queries = new ServiceLbQueries(Adapter.toTyped(system));
    this.netpol = new NetpolQueries(Adapter.toTyped(system));
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return concat(serviceLb(), netpolRoutes(), metricsRoute());
  }

  private Route metricsRoute() {
    return path("metrics", () -> get(() -> metrics(NetsvcHandles.get(typed).deps())));
  }

  private static Route metrics(Optional<ManagementDeps> deps) {
    return deps.map(
            d -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, d.metrics().scrape())))
        .orElseGet(() -> complete(StatusCodes.SERVICE_UNAVAILABLE, "netsvc is starting\n"));
  }

  private Route netpolRoutes() {
    return pathPrefix(
        "netpol",
        () ->
            get(
                () ->
                    concat(
                        pathPrefix(
                            "nodes",
                            () -> path(PathMatchers.segment(), node -> json(netpol.node(node)))),
                        pathPrefix(
                            "policies",
                            () ->
                                path(
                                    PathMatchers.segment().slash(PathMatchers.segment()),
                                    (ns, name) -> json(netpol.policy(ns, name)))))));
  }

  private Route serviceLb() {
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
            KnownNames.Unknown unknown = KnownNames.unknown(result.failed().get());
            if (unknown != null) {
              return complete(StatusCodes.NOT_FOUND, unknown.getMessage() + "\n");
            }
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
