"""pscompat.script"""
