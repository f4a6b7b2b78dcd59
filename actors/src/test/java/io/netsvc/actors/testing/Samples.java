package io.netsvc.actors.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Builds an instance of any message record of a sealed protocol with placeholder arguments: {@code
 * "x"} for strings, zero and false, empty collections, the first constant of an enum, records built
 * the same way (a sealed interface gets its first permitted record), a {@link TestInbox}'s ref for
 * an {@code ActorRef}, and null for anything else (a handle, a fabric8 object). {@link #with}
 * overrides a type or a whole message where a placeholder would not do, e.g. a reply-to ref that
 * must survive serialization.
 */
public final class Samples {
  private final Map<Class<?>, Object> given = new HashMap<>();

  /** Use {@code value} wherever a {@code type} is needed (a message class or a parameter type). */
  public <U> Samples with(Class<U> type, U value) {
    given.put(type, value);
    return this;
  }

  /** Use this message instead of a placeholder one of its class. */
  public Samples with(Object message) {
    given.put(message.getClass(), message);
    return this;
  }

  /** The records a sealed interface permits, recursively through sealed sub-interfaces. */
  public static List<Class<?>> leafRecords(Class<?> sealed) {
    if (!sealed.isSealed()) {
      throw new IllegalArgumentException(sealed.getName() + " is not sealed");
    }
    List<Class<?>> out = new ArrayList<>();
    for (Class<?> c : sealed.getPermittedSubclasses()) {
      if (c.isRecord()) out.add(c);
      else if (c.isInterface() && c.isSealed()) out.addAll(leafRecords(c));
      else throw new IllegalArgumentException(c.getName() + " is neither a record nor sealed");
    }
    return out;
  }

  /** An instance of {@code type}: the given one, or a placeholder. */
  public Object of(Class<?> type) {
    if (given.containsKey(type)) return given.get(type);
    if (type == String.class) return "x";
    if (type == boolean.class || type == Boolean.class) return false;
    if (type == int.class || type == Integer.class) return 0;
    if (type == long.class || type == Long.class) return 0L;
    if (type == double.class || type == Double.class) return 0.0;
    if (type == float.class || type == Float.class) return 0.0f;
    if (type == short.class || type == Short.class) return (short) 0;
    if (type == byte.class || type == Byte.class) return (byte) 0;
    if (type == char.class || type == Character.class) return 'x';
    if (type == Duration.class) return Duration.ZERO;
    if (type == ActorRef.class) return TestInbox.create().getRef();
    if (type == Optional.class) return Optional.empty();
    if (SortedSet.class == type || NavigableSet.class == type) return new TreeSet<>();
    if (SortedMap.class == type || NavigableMap.class == type) return new TreeMap<>();
    if (type == List.class || type == Collection.class) return List.of();
    if (type == Set.class) return Set.of();
    if (type == Map.class) return Map.of();
    if (type.isArray()) return Array.newInstance(type.getComponentType(), 0);
    if (type.isEnum()) return type.getEnumConstants()[0];
    if (type.isRecord()) return record(type);
    if (type.isInterface() && type.isSealed()) return of(leafRecords(type).get(0));
    return null;
  }

  private Object record(Class<?> type) {
    RecordComponent[] parts = type.getRecordComponents();
    Class<?>[] types = new Class<?>[parts.length];
    Object[] args = new Object[parts.length];
    for (int i = 0; i < parts.length; i++) {
      types[i] = parts[i].getType();
      args[i] = of(types[i]);
    }
    try {
      Constructor<?> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "cannot build a placeholder " + type.getName() + "; give one with Samples.with", e);
    }
  }
}
