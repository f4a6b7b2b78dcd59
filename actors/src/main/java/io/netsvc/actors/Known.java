package io.netsvc.actors;

import io.netsvc.k8s.records.CborSerializable;

/**
 * A singleton's answer to "do you know this name?": the Management routes ask before they ask an
 * entity, since asking an entity through sharding starts it.
 */
public record Known(String name, boolean known) implements CborSerializable {}
