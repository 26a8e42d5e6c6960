import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the contract's topics if they are missing. Run with the broker's classpath:
 * java -cp CLASSPATH CreateTopics.java BOOTSTRAP topic:partitions ...
 */
public class CreateTopics {
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                String[] spec = args[i].split(":");
                if (!existing.contains(spec[0])) {
                    missing.add(new NewTopic(spec[0], Integer.parseInt(spec[1]), (short) 1)
                            .configs(Map.of("min.insync.replicas", "1")));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            System.out.println("topics ready: " + admin.listTopics().names().get());
        }
    }
}
