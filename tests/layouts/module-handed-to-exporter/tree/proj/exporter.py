import sys


class Exporter:
    @classmethod
    def load(cls, module_name, configuration):
        module = sys.modules[module_name]
        for name in dir(configuration):
            if name.isupper():
                setattr(module, name, getattr(configuration, name))
