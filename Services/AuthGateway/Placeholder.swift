// AuthGateway
