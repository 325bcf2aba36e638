from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "jedel.common"
    label = "common"
