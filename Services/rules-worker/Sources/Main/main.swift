import RulesWorker
import ServiceHost

await ServiceApplication.main(.rulesWorker)
