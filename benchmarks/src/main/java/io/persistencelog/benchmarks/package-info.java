/** JMH benchmarks of the starter against Log4j2's async loggers and Logback's AsyncAppender. */
package io.persistencelog.benchmarks;
