import UserService
import ServiceHTTP

await ServiceApplication.main(.userService)
