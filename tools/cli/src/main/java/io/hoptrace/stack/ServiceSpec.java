package io.hoptrace.stack;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How to run one of the project's services from its Maven module.
 *
 * @param name short name (status, logs)
 * @param jar its jar, relative to the repository ({@code <module>/target/<artifact>.jar}), with its dependencies in {@code lib/} beside it
 * @param mainClass the thin main that wires and deploys the verticles
 * @param ports ports it binds, checked before anything starts
 * @param healthUrl answers 200 once the service is ready
 * @param addresses lines printed once up
 * @param env environment for the process, given the stack's configuration
 */
record ServiceSpec(
    String name,
    String jar,
    String mainClass,
    List<PortClaim> ports,
    String healthUrl,
    List<String> addresses,
    Function<StackConfig, Map<String, String>> env) {}
