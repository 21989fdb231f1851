package io.persistencelog.test;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/** Each test method starts with no persisted entries, even when the context is cached and shared. */
final class PersistedLogsTestExecutionListener extends AbstractTestExecutionListener {

    @Override
    public void beforeTestMethod(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        ApplicationContext context = testContext.getApplicationContext();
        context.getBeanProvider(PersistedLogs.class).ifAvailable(PersistedLogs::clear);
    }

    @Override
    public int getOrder() {
        return 5_000;
    }
}
