package io.hoptrace.stack;

/** A port a component will bind, what for, and the variable that moves it. */
record PortClaim(int port, String what, String envVar) {}
