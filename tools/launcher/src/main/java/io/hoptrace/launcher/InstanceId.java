package io.hoptrace.launcher;

/**
 * Which instance of a role: the first one is named by its role ({@code inventory}), later ones carry
 * their index ({@code inventory-2}), so a stack of one instance per role reads as it always did.
 */
public record InstanceId(Role role, int index) {
  public InstanceId {
    if (index < 1) {
      throw new IllegalArgumentException("instance index starts at 1, not " + index);
    }
  }

  public static InstanceId first(Role role) {
    return new InstanceId(role, 1);
  }

  public String name() {
    return index == 1 ? role.id() : role.id() + "-" + index;
  }

  @Override
  public String toString() {
    return name();
  }
}
