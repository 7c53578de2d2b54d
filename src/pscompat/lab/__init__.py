"""pscompat.lab"""
