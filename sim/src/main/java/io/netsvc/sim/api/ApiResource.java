package io.netsvc.sim.api;

import java.util.List;

/**
 * One resource type the embedded API serves, as discovery describes it. {@code group} is empty for
 * the core group; {@code subresources} are e.g. {@code status}.
 */
record ApiResource(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> subresources,
    List<String> categories) {

  static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

  ApiResource {
    shortNames = List.copyOf(shortNames);
    subresources = List.copyOf(subresources);
    categories = List.copyOf(categories);
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The URL prefix of the group version: {@code /api/v1} or {@code /apis/apps/v1}. */
  String gvPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }
}
